from services.profile.bootstrap import create_app
from services.profile.settings import ProfileSettings
from shared.process import serve

settings = ProfileSettings()
serve(create_app(settings), settings)
