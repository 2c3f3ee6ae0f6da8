{{- define "sscdpa.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sscdpa.fullname" -}}
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

{{- define "sscdpa.labels" -}}
app.kubernetes.io/name: {{ include "sscdpa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app: {{ include "sscdpa.name" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name (.Chart.Version | replace "+" "_") }}
{{- end -}}

{{/* Upstream values this provider cannot honour fail the render, naming the key. */}}
{{- define "sscdpa.validate" -}}
{{- if .Values.enableArcExtension -}}
{{- fail "enableArcExtension: not supported: the Azure Arc extension resources (monitoring, proxy, extension identity) are not part of this chart" -}}
{{- end -}}
{{- if .Values.rbac.pspEnabled -}}
{{- fail "rbac.pspEnabled: not supported: PodSecurityPolicy was removed in Kubernetes 1.25 and this chart needs 1.30 or later" -}}
{{- end -}}
{{- range $os := list "linux" "windows" -}}
{{- $v := index $.Values $os -}}
{{- if $v.customUserAgent -}}
{{- fail (printf "%s.customUserAgent: not supported: this provider has no --custom-user-agent flag" $os) -}}
{{- end -}}
{{- if ne (toString $v.healthzPath) "/healthz" -}}
{{- fail (printf "%s.healthzPath: only /healthz is supported (the provider serves health there)" $os) -}}
{{- end -}}
{{- end -}}
{{- end -}}
