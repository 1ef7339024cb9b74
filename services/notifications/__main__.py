from services.notifications.bootstrap import create_app
from services.notifications.settings import NotificationsSettings
from shared.process import serve

settings = NotificationsSettings()
serve(create_app(settings), settings)
