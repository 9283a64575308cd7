{{/* Kubernetes recommended labels. */}}
{{- define "medusa.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: storeplane
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Selector labels of one component: (list $ "web"). */}}
{{- define "medusa.selector" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ $.Chart.Name }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* All labels of one component's objects. */}}
{{- define "medusa.componentLabels" -}}
{{ include "medusa.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Pod labels: selector labels plus the storeplane.dev/role the operator's guardrails select on: (list $ "web" "web"). */}}
{{- define "medusa.podLabels" -}}
{{ include "medusa.componentLabels" (list (index . 0) (index . 1)) }}
storeplane.dev/role: {{ index . 2 }}
{{- end }}

{{- define "medusa.host" -}}
{{- if .Values.ingress.host -}}
{{- .Values.ingress.host -}}
{{- else if .Values.ingress.baseDomain -}}
{{- printf "%s.%s" .Values.store.name .Values.ingress.baseDomain -}}
{{- else -}}
{{- fail "set ingress.host or ingress.baseDomain" -}}
{{- end -}}
{{- end }}

{{- define "medusa.url" -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls) (include "medusa.host" .) -}}
{{- end }}

{{/* image reference: (dict "image" .Values.image) */}}
{{- define "medusa.image" -}}
{{- if .digest -}}
{{- printf "%s@%s" .repository .digest -}}
{{- else -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}
{{- end }}

{{/* Resources of one component for the store's plan: (list $ "web"). */}}
{{- define "medusa.resources" -}}
{{- $ := index . 0 -}}
{{- $size := index $.Values.sizes $.Values.store.plan -}}
{{- toYaml (index $size (index . 1)) -}}
{{- end }}

{{- define "medusa.storage" -}}
{{- $ := index . 0 -}}
{{- $component := index . 1 -}}
{{- $p := (index $.Values $component).persistence -}}
{{- $p.size | default (index (index $.Values.sizes $.Values.store.plan).storage $component) -}}
{{- end }}

{{/* Pod-level security context for a user id. */}}
{{- define "medusa.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ . }}
  runAsGroup: {{ . }}
  fsGroup: {{ . }}
  fsGroupChangePolicy: OnRootMismatch
  seccompProfile: {type: RuntimeDefault}
{{- end }}

{{/* Container security context for a user id. */}}
{{- define "medusa.containerSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ . }}
  runAsGroup: {{ . }}
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  privileged: false
  capabilities: {drop: [ALL]}
  seccompProfile: {type: RuntimeDefault}
{{- end }}

{{- define "medusa.secretEnv" -}}
- name: {{ index . 1 }}
  valueFrom: {secretKeyRef: {name: {{ (index . 0).Values.existingSecret }}, key: {{ index . 2 }}}}
{{- end }}

{{- define "medusa.adminUrl" -}}
{{- if .Values.ingress.adminHost -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls) .Values.ingress.adminHost -}}
{{- else -}}
{{- include "medusa.url" . -}}
{{- end -}}
{{- end }}

{{/* Comma-separated CORS origins: the store URL, the admin URL and medusa.extraCors. */}}
{{- define "medusa.cors" -}}
{{- $origins := list (include "medusa.url" .) (include "medusa.adminUrl" .) -}}
{{- join "," (concat $origins .Values.medusa.extraCors | uniq) -}}
{{- end }}

{{/* 70% of a memory limit in MiB, for node's --max-old-space-size: (list $ "server"). */}}
{{- define "medusa.heapMiB" -}}
{{- $ := index . 0 -}}
{{- $limit := (index (index $.Values.sizes $.Values.store.plan) (index . 1)).limits.memory | toString -}}
{{- $mib := 0 -}}
{{- if hasSuffix "Gi" $limit -}}
{{- $mib = mulf (trimSuffix "Gi" $limit | float64) 1024 -}}
{{- else if hasSuffix "Mi" $limit -}}
{{- $mib = trimSuffix "Mi" $limit | float64 -}}
{{- else -}}
{{- fail (printf "memory limit %q of %s: use Mi or Gi" $limit (index . 1)) -}}
{{- end -}}
{{- mulf $mib 0.7 | floor | int -}}
{{- end }}

{{/* The secrets every process that loads medusa-config needs (it refuses to load without them in production). */}}
{{- define "medusa.appSecretsEnv" -}}
{{ include "medusa.secretEnv" (list . "JWT_SECRET" "jwt-secret") }}
{{ include "medusa.secretEnv" (list . "COOKIE_SECRET" "cookie-secret") }}
{{- end }}

{{- define "medusa.databaseEnv" -}}
{{ include "medusa.secretEnv" (list . "DB_PASSWORD" "db-password") }}
# Built in the pod from the Secret (Kubernetes expands $(DB_PASSWORD)); the password is URL-safe
# (the operator generates base64url). sslmode=disable: the store's own database serves no TLS
# (it never leaves the namespace, and its NetworkPolicy admits only the store's pods), and Medusa
# asks for TLS from any host but localhost unless told so; the refusal then shows only as
# "Timeout acquiring a connection".
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(DB_PASSWORD)@%s-db:5432/%s?sslmode=disable" .Values.database.user .Release.Name .Values.database.name | quote }}
{{- if .Values.redis.enabled }}
- name: REDIS_URL
  value: {{ printf "redis://%s-redis:6379" .Release.Name | quote }}
{{- end }}
{{- end }}

{{/*
Free text as an env var's value. Kubernetes expands $(VAR) in `value` over the variables declared
before it (a display name "$(HOME)" would become "/tmp"); $$ is its escape for $.
*/}}
{{- define "medusa.envText" -}}
{{- . | toString | replace "$" "$$" | quote -}}
{{- end }}

{{/* Environment of every container running the Medusa image. */}}
{{- define "medusa.env" -}}
{{- $ := index . 0 -}}
- {name: NODE_ENV, value: production}
- {name: MEDUSA_DISABLE_TELEMETRY, value: "true"}
- {name: HOME, value: /tmp}
- {name: NODE_OPTIONS, value: {{ printf "--max-old-space-size=%s" (include "medusa.heapMiB" .) | quote }}}
- {name: STORE_NAME, value: {{ include "medusa.envText" $.Values.store.displayName }}}
- {name: STORE_CURRENCY, value: {{ $.Values.medusa.currency | quote }}}
- {name: MEDUSA_BACKEND_URL, value: {{ include "medusa.url" $ | quote }}}
{{- end }}

{{- define "medusa.wait" -}}
- name: {{ index . 1 }}
  image: {{ include "medusa.image" (index . 0).Values.image }}
  imagePullPolicy: {{ (index . 0).Values.image.pullPolicy }}
  command: [node, /storeplane/wait-for.mjs, --timeout, "900"]
  args: {{ toJson (index . 2) }}
  resources:
    requests: {cpu: 10m, memory: 32Mi}
    limits: {cpu: 100m, memory: 96Mi}
  {{- include "medusa.containerSecurity" 1000 | nindent 2 }}
  volumeMounts:
    - {name: scripts, mountPath: /storeplane, readOnly: true}
    - {name: tmp, mountPath: /tmp}
{{- end }}

{{/* Where the pods may run: nodeSelector, tolerations and affinity, as given (values-devnode.yaml
steers them to the local cluster's real node). Empty when none is set. */}}
{{- define "medusa.placement" -}}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
