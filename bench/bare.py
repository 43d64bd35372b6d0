"""The floor: a bare Flask endpoint served by the same gunicorn settings as the app."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/ping")
def ping():
    return jsonify(ok=True)
