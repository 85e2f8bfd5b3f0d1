# The app under gunicorn, for docker-compose.yml. Settings come from the environment.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Pango and HarfBuzz for WeasyPrint's PDF reports; Liberation fonts for their text, Noto
# for Arabic (fonts-noto-core) and Chinese (fonts-noto-cjk);
# PostgreSQL's client tools (15, as the server) for `manage.py backup` and `restore`;
# GNU gettext's msgfmt to compile the interface's translations (locale/).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-liberation fonts-noto-core fonts-noto-cjk \
       postgresql-client gettext \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY hearings hearings
COPY tracker tracker
COPY templates templates
COPY static static
COPY locale locale
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done \
    && DEBUG=false SECRET_KEY=collectstatic-only-build-time-key-never-used-at-run-time-0000000 ALLOWED_HOSTS=build \
       PUBLIC_BASE_URL=http://build \
       python manage.py collectstatic --no-input
EXPOSE 8000
# The app writes its own access line (JSON, no query strings): gunicorn's is left off.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py createcachetable && python manage.py load_report && exec gunicorn hearings.wsgi --bind 0.0.0.0:8000 --workers 3 --timeout 120"]
