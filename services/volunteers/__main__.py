from services.volunteers.bootstrap import create_app
from services.volunteers.settings import VolunteersSettings
from shared.process import serve

settings = VolunteersSettings()
serve(create_app(settings), settings)
