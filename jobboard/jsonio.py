"""Flask's JSON through orjson: the API's responses are serialised several times faster."""
import orjson
from flask.json.provider import DefaultJSONProvider


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        return orjson.dumps(obj, default=self.default,
                            option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS).decode()

    def loads(self, s, **kwargs):
        return orjson.loads(s)
