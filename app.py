"""Serve careers-chat: `python app.py` (what `make run` starts)."""

from bot.web.app import main

if __name__ == "__main__":
    main()
