# The docker baseline's requirements stage: pip in a RUN of the classic builder with
# PIP_INDEX_URL as a build arg, as the framework's own etc/Dockerfile has it. It does what
# lava-docker's requirements step (src/builder/requirements_step.cc) does in a container of
# its own, so the baseline is one plain `docker build` of the prepared context.
FROM ${BASE_IMG} AS lava-requirements
ARG PIP_INDEX_URL
COPY requirements*.txt /tmp/lava-requirements/
RUN set -e; cd /tmp/lava-requirements; \
    if [ -z "$PIP_INDEX_URL" ]; then unset PIP_INDEX_URL; fi; \
    export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore; \
    mkdir -p /lava-root/lava; \
    if [ -s requirements.txt ]; then \
      python3 -m pip --no-cache-dir install --root /lava-root --upgrade -r requirements.txt; \
    fi; \
    if [ -s requirements-nodeps.txt ]; then \
      python3 -m pip --no-cache-dir install --root /lava-root --upgrade --no-deps -r requirements-nodeps.txt; \
    fi; \
    chmod -R a+rX /lava-root
