"""The models that cross an internal HTTP boundary, one module per service that answers them.

The service validates its requests and shapes its answers with them; the gateway and peer services
build their calls and their OpenAPI document from the same models. Event contracts are one level up.
"""
