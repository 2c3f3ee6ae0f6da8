{{/* The provider DaemonSet of one OS. Arguments: dict "root" . "os" "linux"|"windows". */}}
{{- define "sscdpa.daemonset" -}}
{{- $root := .root -}}
{{- $os := .os -}}
{{- $v := index $root.Values $os -}}
{{- $windows := eq $os "windows" -}}
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "sscdpa.fullname" $root }}{{ if $windows }}-windows{{ end }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "sscdpa.labels" $root | nindent 4 }}
spec:
  updateStrategy:
    {{- toYaml $v.updateStrategy | nindent 4 }}
  selector:
    matchLabels:
      app: {{ include "sscdpa.name" $root }}{{ if $windows }}-windows{{ end }}
  template:
    metadata:
      labels:
        {{- include "sscdpa.labels" $root | replace (printf "app: %s\n" (include "sscdpa.name" $root)) (printf "app: %s%s\n" (include "sscdpa.name" $root) (ternary "-windows" "" $windows)) | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      serviceAccountName: csi-secrets-store-provider-azure
      automountServiceAccountToken: false
      {{- if not $windows }}
      # Host network, as upstream: pod-identity (NMI) and IMDS answer on the node's addresses.
      hostNetwork: true
      {{- with $v.dnsPolicy }}
      dnsPolicy: {{ . }}
      {{- end }}
      {{- end }}
      containers:
        - name: provider-azure-installer
          image: "{{ $v.image.repository }}:{{ $v.image.tag | default $root.Chart.AppVersion }}"
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args:
            {{- if $windows }}
            - --endpoint=unix://C:\\provider\\azure.sock
            {{- else }}
            - --endpoint=unix:///provider/azure.sock
            {{- end }}
            {{- if $root.Values.logFormatJSON }}
            - --log-format-json=true
            {{- end }}
            {{- if $root.Values.logVerbosity }}
            - -v={{ $root.Values.logVerbosity }}
            {{- end }}
            - --construct-pem-chain={{ $root.Values.constructPEMChain }}
            - --healthz-port={{ $v.healthzPort }}
            - --healthz-path={{ $v.healthzPath }}
            - --healthz-timeout={{ $v.healthzTimeout }}
            {{- if $root.Values.writeCertAndKeyInSeparateFiles }}
            - --write-cert-and-key-in-separate-files=true
            {{- end }}
            - --prometheus-port={{ $root.Values.metricsAddr }}
          livenessProbe:
            httpGet:
              path: {{ $v.healthzPath }}
              port: {{ $v.healthzPort }}
            failureThreshold: 3
            initialDelaySeconds: 5
            timeoutSeconds: 10
            periodSeconds: 30
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          ports:
            - containerPort: {{ $root.Values.metricsAddr }}
              name: metrics
              protocol: TCP
          {{- if not $windows }}
          # uid 0 without any capability: the only way to create azure.sock in the host's root-owned providers
          # directory (the image's own user is 65532).
          securityContext:
            {{- if $v.privileged }}
            privileged: true
            {{- else }}
            allowPrivilegeEscalation: false
            {{- end }}
            readOnlyRootFilesystem: true
            runAsUser: 0
            capabilities:
              drop:
                - ALL
          {{- end }}
          volumeMounts:
            - name: provider-vol
              mountPath: {{ ternary "C:\\provider" "/provider" $windows }}
            {{- with $v.volumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . | quote }}
      {{- end }}
      volumes:
        - name: provider-vol
          hostPath:
            path: {{ $v.providersDir }}
            type: DirectoryOrCreate
        {{- with $v.volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      nodeSelector:
        kubernetes.io/os: {{ $os }}
        {{- with $v.nodeSelector }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
