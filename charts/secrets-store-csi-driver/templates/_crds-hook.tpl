{{/*
One CRD hook: a ServiceAccount, a ClusterRole with only the CRD verbs its kubectl command needs, the binding, and
the Job that runs kubectl from this suite's CRD image (kubectl plus the chart's crds/ at /crds).
Arguments: dict "root" . "suffix" "upgrade-crds" "hooks" "pre-install,pre-upgrade" "weight" 1 "verbs" (list ...) "args" (list ...) "container" "crds-upgrade".
*/}}
{{- define "sscd.crdsHook" -}}
{{- $root := .root -}}
{{- $name := printf "%s-%s" (include "sscd.fullname" $root | trunc 50 | trimSuffix "-") .suffix -}}
{{- $crds := $root.Values.linux.crds -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "sscd.labels" $root | nindent 4 }}
  annotations:
    helm.sh/hook: {{ .hooks }}
    helm.sh/hook-delete-policy: hook-succeeded,before-hook-creation
    helm.sh/hook-weight: {{ .weight | quote }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $name }}
  labels:
    {{- include "sscd.labels" $root | nindent 4 }}
  annotations:
    helm.sh/hook: {{ .hooks }}
    helm.sh/hook-delete-policy: hook-succeeded,before-hook-creation
    helm.sh/hook-weight: {{ .weight | quote }}
rules:
  - apiGroups: ["apiextensions.k8s.io"]
    resources: ["customresourcedefinitions"]
    verbs: {{ toJson .verbs }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- include "sscd.labels" $root | nindent 4 }}
  annotations:
    helm.sh/hook: {{ .hooks }}
    helm.sh/hook-delete-policy: hook-succeeded,before-hook-creation
    helm.sh/hook-weight: {{ .weight | quote }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ $root.Release.Namespace }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "sscd.labels" $root | nindent 4 }}
  annotations:
    helm.sh/hook: {{ .hooks }}
    helm.sh/hook-delete-policy: hook-succeeded,before-hook-creation
    helm.sh/hook-weight: {{ add .weight 9 | quote }}
spec:
  backoffLimit: 3
  template:
    metadata:
      {{- with $crds.annotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $crds.podLabels }}
      labels:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      restartPolicy: Never
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {{ .container }}
          image: {{ include "sscd.image" (list $crds.image $root) | quote }}
          imagePullPolicy: {{ $crds.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            # kubectl keeps its discovery cache under $HOME.
            - name: HOME
              value: /tmp
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
          {{- with $crds.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
      nodeSelector:
        kubernetes.io/os: linux
        {{- with $root.Values.linux.nodeSelector }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $root.Values.linux.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
