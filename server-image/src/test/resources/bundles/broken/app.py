"""Test bundle whose import fails, as a typo in production would."""
import json

CONFIG = json.loads('{"workers": 2}')
RATIO = CONFIG['workers'] / 0
