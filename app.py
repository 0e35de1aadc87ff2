"""Serve careers-chat: `python app.py` (what `make run` starts; `careers-chat serve` does the same)."""

from bot.web.app import serve

if __name__ == "__main__":
    serve()
