# The app under gunicorn, for docker-compose.yml. Settings come from the environment.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Pango and HarfBuzz for WeasyPrint's PDF reports; Liberation fonts for their text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY hearings hearings
COPY tracker tracker
COPY templates templates
COPY static static
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && DEBUG=false SECRET_KEY=collectstatic-only-build-time-key-000000000 ALLOWED_HOSTS=build \
       python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py load_report && gunicorn hearings.wsgi --bind 0.0.0.0:8000 --workers 3 --timeout 120 --access-logfile -"]
