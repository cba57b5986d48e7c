# Production image of the insurance backoffice: trytond with our three
# modules and the sao web client. One image serves the trytond, trytond-cron
# and trytond-worker services of docker-compose.yml.
FROM python:3.11-slim-bookworm

ARG SAO_VERSION=8.0.11
# nodejs/npm fetch sao; LibreOffice converts the printable reports to PDF
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        nodejs npm libreoffice-writer-nogui fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/insurance
COPY pyproject.toml README.md ./
COPY addons addons
RUN pip install --no-cache-dir .

RUN mkdir -p /var/lib/trytond/www /var/lib/trytond/db \
    && cd /tmp && npm pack "tryton-sao@${SAO_VERSION}" \
    && tar xzf "tryton-sao-${SAO_VERSION}.tgz" \
    && cp -r package/. /var/lib/trytond/www/ \
    && cd /var/lib/trytond/www \
    && npm install --omit=dev --legacy-peer-deps --no-audit --no-fund \
    && rm -rf /tmp/package /tmp/*.tgz /root/.npm

COPY docker/trytond.conf /etc/trytond.conf
ENV TRYTOND_CONFIG=/etc/trytond.conf
RUN useradd --system --home-dir /var/lib/trytond trytond \
    && chown -R trytond /var/lib/trytond
USER trytond
EXPOSE 8000
# -d preloads the database: trytond 8.0.12 fails the first login without it
CMD ["sh", "-c", "exec trytond -d \"${TRYTOND_DATABASE_NAME:-claims}\""]
