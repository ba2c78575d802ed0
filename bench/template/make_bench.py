#!/usr/bin/python3
"""Writes bench.j2 (about 5,000 lines of loops, macros and filters) and params.yaml."""
import random
from pathlib import Path

here = Path(__file__).resolve().parent
rnd = random.Random(42)

cities = ["Paris", "london", "Berlin", "Madrid", "Rome", "oslo", "Lisbon", "Vienna"]
lines = ["users:"]
for i in range(300):
    tags = rnd.sample(["admin", "dev", "ops", "qa", "sales", "hr"], rnd.randint(0, 3))
    lines.append(f"  - {{name: user{i:03d}, age: {rnd.randint(18, 70)}, city: {rnd.choice(cities)}, "
                 f"active: {str(rnd.random() > 0.3).lower()}, score: {rnd.randint(0, 1000) / 10}, "
                 f"tags: [{', '.join(tags)}]}}")
lines += ["services:"]
for i in range(60):
    lines.append(f"  svc{i:02d}: {{port: {8000 + i}, replicas: {rnd.randint(1, 9)}, "
                 f"image: repo/svc{i:02d}, env: {{LOG: debug, ID: '{i}'}}}}")
lines += ["realm: bench-realm", "env: dev", "title: Benchmark report"]
(here / "params.yaml").write_text("\n".join(lines) + "\n")

header = """{#- Benchmark template: macros, loops, filters and inheritance-free includes. -#}
{% macro card(u, idx) -%}
<div class="card{{ ' active' if u.active }}" id="u-{{ idx }}">
  <h3>{{ u.name | title }} ({{ u.age }})</h3>
  <p>{{ u.city | capitalize }} &mdash; score {{ '%.1f' | format(u.score) }}</p>
  <p>tags: {{ u.tags | default([]) | join(', ') or 'none' }}</p>
</div>
{%- endmacro %}
{% macro row(cells) -%}
<tr>{% for c in cells %}<td>{{ c }}</td>{% endfor %}</tr>
{%- endmacro %}
{% macro kv(d) -%}
{% for k, v in d | dictsort %}{{ k }}={{ v }}{{ ';' if not loop.last }}{% endfor %}
{%- endmacro %}
{% set ns = namespace(total=0, count=0) %}
<h1>{{ title | upper }} for {{ realm }}/{{ env }}</h1>
"""
sections = []
for s in range(48):
    sections.append(f"""
{{# section {s} #}}
<h2>Section {s}: {{{{ (users | length) * {s + 1} }}}} rows</h2>
{{% for u in users[{s * 5 % 250}:{s * 5 % 250 + 40}] %}}
{{{{ card(u, loop.index) }}}}
{{%- if loop.index is divisibleby 10 %}}
<hr data-count="{{{{ loop.index }}}}/{{{{ loop.length }}}}">
{{%- endif %}}
{{% set ns.total = ns.total + u.age %}}{{% set ns.count = ns.count + 1 %}}
{{% endfor %}}
<table>
{{% for g in users | selectattr('active') | groupby('city') %}}
{{{{ row([g.grouper, g.list | length, g.list | map(attribute='age') | sum, (g.list | map(attribute='score') | max)]) }}}}
{{% endfor %}}
</table>
<ul>
{{% for name, svc in services | dictsort %}}{{% if loop.index0 % 6 == {s % 6} %}}
  <li>{{{{ name }}}}: {{{{ svc.image }}}}:{{{{ svc.port }}}} x{{{{ svc.replicas }}}} [{{{{ kv(svc.env) }}}}]</li>
{{% endif %}}{{% endfor %}}
</ul>
<p>{{{{ users | map(attribute='name') | select('string') | list | length }}}} users,
   avg age {{{{ (ns.total / ns.count) | round(2) }}}},
   cities {{{{ users | map(attribute='city') | map('lower') | unique | sort | join('/') }}}}</p>
<pre>{{{{ (users[{s}:{s} + 3] | tojson)[:120] }}}}</pre>
""")
text = header + "".join(sections)
n = text.count("\n")
pad = []
i = 0
while n + len(pad) < 5000:
    pad.append(f"<!-- filler {i}: {{{{ '{i}' | int * 2 }}}} {{{{ title | truncate(12) }}}} -->")
    i += 1
text += "\n".join(pad) + "\n"
(here / "bench.j2").write_text(text)
print(f"bench.j2: {text.count(chr(10))} lines")
