from services.partners.bootstrap import create_app
from services.partners.settings import PartnersSettings
from shared.process import serve

settings = PartnersSettings()
serve(create_app(settings), settings)
