"""PLACEHOLDER until the saved-query catalogue is merged."""


class QueryApi:
    def __init__(self, app):
        self.app = app

    def handle(self, request):
        from mc2cm_graph.server import BadRequest

        raise BadRequest("no saved queries yet", 404)
