{{- define "vcp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vcp.fullname" -}}
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

{{- define "vcp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vcp.labels" -}}
{{ include "vcp.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name (.Chart.Version | replace "+" "_") }}
{{- end -}}

{{/* Upstream values this provider cannot honour fail the render, naming the key. */}}
{{- define "vcp.validate" -}}
{{- if .Values.server.enabled -}}
{{- fail "server.enabled: not supported: this chart installs only the CSI provider; install Vault itself with the hashicorp/vault chart (csi.enabled=false) and set global.externalVaultAddr" -}}
{{- end -}}
{{- if .Values.injector.enabled -}}
{{- fail "injector.enabled: not supported: this chart installs only the CSI provider" -}}
{{- end -}}
{{- if .Values.csi.agent.enabled -}}
{{- fail "csi.agent.enabled: not supported: the provider talks to Vault directly (it caches Vault tokens itself, --cache-size)" -}}
{{- end -}}
{{- end -}}
