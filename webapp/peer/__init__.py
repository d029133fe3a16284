"""The class psychology committee (心理委员): what pupils send, and what their teachers read of it."""
from flask import Blueprint

bp = Blueprint("peer", __name__, url_prefix="/peer")
