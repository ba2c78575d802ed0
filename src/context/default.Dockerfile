# lava-docker's built-in default Dockerfile, Jinja-rendered with the project's config like any other.
# Payload files go to /lava, owned by root, readable by all. The requirements are installed
# before this build, by lava-docker's requirements step (src/builder/requirements_step.cc): pip
# runs in a container from the base with PIP_INDEX_URL (often holding credentials) in a volume,
# and the result is committed as an image that this build copies /lava-root from. So the index
# URL is never a build argument, nor in any image's history or layers.
# Both arguments are image ids lava-docker passes: the base the step ran on, and the step's image.
ARG BASE_IMG=ghcr.io/jin-gizmo/lava/amzn2023/base
ARG LAVA_REQUIREMENTS_IMAGE

FROM ${LAVA_REQUIREMENTS_IMAGE} AS lava-requirements

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
