from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.process import serve

settings = GatewaySettings()
serve(create_app(settings), settings)
