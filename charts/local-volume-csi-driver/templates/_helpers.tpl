{{/* Chart name, overridable. */}}
{{- define "lvcd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name; the release name alone when it already holds the chart name. */}}
{{- define "lvcd.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "lvcd.selectorLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/name: {{ include "lvcd.name" . | quote }}
{{- end -}}

{{- define "lvcd.labels" -}}
{{ include "lvcd.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name (.Chart.Version | replace "+" "_") | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "lvcd.serviceAccountName" -}}
{{- default (include "lvcd.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* An image reference: repository@digest, else repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "lvcd.image" -}}
{{- $image := index . 0 -}}
{{- $root := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/* One --pool value: name=,dir=,size=,layout=[,fstype=]. */}}
{{- define "lvcd.pool" -}}
{{- printf "name=%s,dir=%s,size=%v,layout=%s" .name .dir .size .layout -}}
{{- if .fstype -}},fstype={{ .fstype }}{{- end -}}
{{- end -}}

{{/* Checks across values that the schema cannot express; each failure names the value. */}}
{{- define "lvcd.validate" -}}
{{- if not .Values.pools -}}
{{- fail "pools: at least one pool is needed, e.g. {name: default, dir: /var/lib/local-volume/default, size: 100Gi, layout: image}" -}}
{{- end -}}
{{- $names := dict -}}
{{- $dirs := dict -}}
{{- range $i, $pool := .Values.pools -}}
{{- if hasKey $names $pool.name -}}
{{- fail (printf "pools[%d].name: pool %q is given twice" $i $pool.name) -}}
{{- end -}}
{{- if hasKey $dirs (clean $pool.dir) -}}
{{- fail (printf "pools[%d].dir: %s is given to more than one pool" $i $pool.dir) -}}
{{- end -}}
{{- if and $pool.fstype (eq $pool.layout "subvolume") -}}
{{- fail (printf "pools[%d].fstype: only image pools make a filesystem per volume; a subvolume pool has none" $i) -}}
{{- end -}}
{{- $_ := set $names $pool.name true -}}
{{- $_ := set $dirs (clean $pool.dir) true -}}
{{- end -}}
{{- range $i, $class := .Values.storageClasses -}}
{{- if and $class.pool (not (hasKey $names $class.pool)) -}}
{{- fail (printf "storageClasses[%d].pool: %q is not one of the pools (%s)" $i $class.pool (keys $names | sortAlpha | join ", ")) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.metrics.enabled (eq (int .Values.metrics.port) (int .Values.livenessProbe.port)) -}}
{{- fail "metrics.port: the same as livenessProbe.port" -}}
{{- end -}}
{{- end -}}
