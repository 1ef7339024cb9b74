from services.gateway.bootstrap import create_app
from services.gateway.metrics import serve_metrics
from services.gateway.settings import GatewaySettings
from shared.process import serve

settings = GatewaySettings()
app = create_app(settings)
serve_metrics(app.state.metrics, settings)
serve(app, settings)
