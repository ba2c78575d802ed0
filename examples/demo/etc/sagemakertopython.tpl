{#- The demo's stand-in for the framework's etc/sagemakertopython.tpl (written for this
    repository): an nbconvert template that turns IPython magics into comments. Its digest
    is registered through LAVA_DOCKER_EXTRA_NOTEBOOK_TEMPLATE_DIGESTS. -#}
{% extends 'python.tpl' %}
{% block codecell %}
{{ super() | replace('get_ipython', '#get_ipython') }}
{% endblock codecell %}
