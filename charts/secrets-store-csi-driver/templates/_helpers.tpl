{{/* Chart name, overridable. */}}
{{- define "sscd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name; the release name alone when it already holds the chart name. */}}
{{- define "sscd.fullname" -}}
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

{{/* Labels on every object (the upstream chart's set, so selectors and queries written for it keep working). */}}
{{- define "sscd.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/name: {{ include "sscd.name" . | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app: {{ include "sscd.name" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name (.Chart.Version | replace "+" "_") | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* An image reference: repository@digest, else repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "sscd.image" -}}
{{- $image := index . 0 -}}
{{- $root := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/* The port of a [host]:port address. */}}
{{- define "sscd.port" -}}
{{- splitList ":" (toString .) | last -}}
{{- end -}}

{{/*
Values of the upstream chart that this driver cannot honour: each fails the render naming the key, rather than
being ignored. (Keys the upstream chart does not have at all are refused by values.schema.json.)
*/}}
{{- define "sscd.validate" -}}
{{- if .Values.rbac.pspEnabled -}}
{{- fail "rbac.pspEnabled: not supported: PodSecurityPolicy was removed in Kubernetes 1.25 and this chart needs 1.30 or later; use Pod Security Admission" -}}
{{- end -}}
{{- if and (hasKey .Values "filteredWatchSecret") (not .Values.filteredWatchSecret) -}}
{{- fail "filteredWatchSecret: false is not supported: the driver only ever watches the Secrets it manages (label secrets-store.csi.k8s.io/managed=true)" -}}
{{- end -}}
{{- if and .Values.linux.enabled (not .Values.linux.kubeletRootDir) -}}
{{- fail "linux.kubeletRootDir: must not be empty" -}}
{{- end -}}
{{- end -}}
