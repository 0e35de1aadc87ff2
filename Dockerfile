# careers-chat: one app replica (compose.yaml runs two behind nginx). Offline: the embedding model ships in a package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    GRADIO_ANALYTICS_ENABLED=False \
    ANONYMIZED_TELEMETRY=False \
    HOST=0.0.0.0 \
    PORT=7860 \
    DATA_DIR=/data \
    KNOWLEDGE_DIR=/app/knowledge

WORKDIR /app
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install -r requirements/runtime.lock

COPY app.py pyproject.toml README.md ./
COPY bot bot
COPY prompts prompts
COPY knowledge knowledge
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app careers \
    && mkdir -p /data \
    && chown careers /data

USER careers
VOLUME ["/data", "/app/knowledge"]
EXPOSE 7860
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:7860/api/health', timeout=4)"]
CMD ["python", "app.py"]
