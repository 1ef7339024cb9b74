from services.advice.bootstrap import create_app
from services.advice.settings import AdviceSettings
from shared.process import serve

settings = AdviceSettings()
serve(create_app(settings), settings)
