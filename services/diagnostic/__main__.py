from services.diagnostic.bootstrap import create_app
from services.diagnostic.settings import DiagnosticSettings
from shared.process import serve

settings = DiagnosticSettings()
serve(create_app(settings), settings)
