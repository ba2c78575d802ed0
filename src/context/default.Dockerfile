# lava-docker's built-in default Dockerfile, Jinja-rendered with the project's config like any other.
# Payload files go to /lava, owned by root, readable by all; requirements are installed in a
# separate stage so PIP_INDEX_URL (often holding credentials) never reaches the image.
ARG BASE_IMG=ghcr.io/jin-gizmo/lava/amzn2023/base

FROM ${BASE_IMG} AS lava-requirements
ARG PIP_INDEX_URL
<% if lava_docker_requirements %>
COPY <{ lava_docker_requirements | join(' ') }> /tmp/lava-requirements/
<% endif %>
RUN set -e; \
    if [ -z "$PIP_INDEX_URL" ]; then unset PIP_INDEX_URL; fi; \
    export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore; \
    # /lava itself comes from here, so this layer is never empty (the classic builder
    # fails on an empty COPY layer followed by another COPY).
    mkdir -p /lava-root/lava; \
    mkdir -p /tmp/lava-requirements; cd /tmp/lava-requirements; \
    if [ -s requirements.txt ]; then \
      python3 -m pip --no-cache-dir install --root /lava-root --upgrade -r requirements.txt; \
    fi; \
    if [ -s requirements-nodeps.txt ]; then \
      python3 -m pip --no-cache-dir install --root /lava-root --upgrade --no-deps -r requirements-nodeps.txt; \
    fi; \
    chmod -R a+rX /lava-root

FROM ${BASE_IMG}
<% if not (docker is defined and docker.os_upgrade is defined and docker.os_upgrade == false) %>
RUN ( if command -v apt-get >/dev/null 2>&1; then \
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade && rm -rf /var/lib/apt/lists/*; \
      elif command -v dnf >/dev/null 2>&1; then dnf -y upgrade && dnf clean all; \
      elif command -v yum >/dev/null 2>&1; then yum -y update && yum clean all; \
      elif command -v apk >/dev/null 2>&1; then apk upgrade --no-cache; \
      fi ) || echo "lava-docker: OS package upgrade failed; continuing without it" >&2
<% endif %>
RUN if ! grep -q '^lava:' /etc/group; then \
      if command -v groupadd >/dev/null 2>&1; then groupadd -g 99999 lava; \
      elif command -v addgroup >/dev/null 2>&1; then addgroup -g 99999 lava; \
      else echo 'lava:x:99999:' >> /etc/group; fi; \
    fi; \
    if ! grep -q '^lava:' /etc/passwd; then \
      if command -v useradd >/dev/null 2>&1; then useradd -u 99999 -g 99999 -d /lava -M -s /bin/sh lava; \
      elif command -v adduser >/dev/null 2>&1; then adduser -u 99999 -G lava -h /lava -H -D lava; \
      else echo 'lava:x:99999:99999::/lava:/bin/sh' >> /etc/passwd; fi; \
    fi
COPY --from=lava-requirements /lava-root/ /
COPY . /lava/
ENV LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
USER lava
