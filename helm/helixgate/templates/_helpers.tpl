{{/* Names: everything is prefixed by the release (and the chart name unless the release already holds it). */}}
{{- define "helixgate.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A component's resource name; call with (dict "root" $ "name" "gateway"). */}}
{{- define "helixgate.componentName" -}}
{{- printf "%s-%s" (include "helixgate.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "helixgate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: helixgate
{{- with .name }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/* name and labels of a component's resource */}}
{{- define "helixgate.metadata" -}}
name: {{ include "helixgate.componentName" . }}
labels:
  {{- include "helixgate.labels" . | nindent 2 }}
{{- end -}}

{{- define "helixgate.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* image: repository:tag, or repository@digest when a digest is given. */}}
{{- define "helixgate.image" -}}
{{- $image := .component.image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* An external server's user and password from its Secret, as the variables the services read (USER, PASSWORD names given). */}}
{{- define "helixgate.credentialsEnv" -}}
{{- if .server.auth.existingSecret }}
  - name: {{ .user }}
    valueFrom:
      secretKeyRef:
        name: {{ .server.auth.existingSecret | quote }}
        key: {{ .server.auth.usernameKey | quote }}
  - name: {{ .password }}
    valueFrom:
      secretKeyRef:
        name: {{ .server.auth.existingSecret | quote }}
        key: {{ .server.auth.passwordKey | quote }}
{{- end }}
{{- end -}}

{{/* The environment of a component's process (also the admin Job's): secrets by reference, the rest from its ConfigMap. */}}
{{- define "helixgate.env" -}}
{{- $root := .root -}}
env:
  - name: NATS_URL
    value: {{ $root.Values.nats.url | quote }}
{{- include "helixgate.credentialsEnv" (dict "server" $root.Values.nats "user" "NATS_USER" "password" "NATS_PASSWORD") }}
{{- if .component.mongodb }}
  - name: MONGODB_URI
    value: {{ $root.Values.mongodb.url | quote }}
{{- include "helixgate.credentialsEnv" (dict "server" $root.Values.mongodb "user" "MONGODB_USERNAME" "password" "MONGODB_PASSWORD") }}
{{- end }}
{{- with .component.httpPort }}
  - name: PORT
    value: {{ . | quote }}
{{- end }}
{{- if .component.authSecretKey }}
  - name: AUTH_SECRET_KEY
    valueFrom:
      secretKeyRef:
        name: {{ required "authSecretKey.existingSecret is required (a Secret holding 32 random bytes, base64)" $root.Values.authSecretKey.existingSecret | quote }}
        key: {{ $root.Values.authSecretKey.key | quote }}
{{- end }}
{{- range $variable, $ref := (.component.secretEnv | default dict) }}
  - name: {{ $variable }}
    valueFrom:
      secretKeyRef:
        name: {{ $ref.secret | quote }}
        key: {{ $ref.key | quote }}
{{- end }}
{{- with .extraEnv }}
{{- . | nindent 2 }}
{{- end }}
envFrom:
  - configMapRef:
      name: {{ include "helixgate.componentName" (dict "root" $root "name" .name) }}
{{- end -}}

{{/* The hardened security contexts every container runs with. */}}
{{- define "helixgate.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "helixgate.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
