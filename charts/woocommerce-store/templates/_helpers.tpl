{{/* Kubernetes recommended labels. */}}
{{- define "woo.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: storeplane
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Selector labels of one component: (list $ "web"). */}}
{{- define "woo.selector" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ $.Chart.Name }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* All labels of one component's objects. */}}
{{- define "woo.componentLabels" -}}
{{ include "woo.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Pod labels: selector labels plus the storeplane.dev/role the operator's guardrails select on: (list $ "web" "web"). */}}
{{- define "woo.podLabels" -}}
{{ include "woo.componentLabels" (list (index . 0) (index . 1)) }}
storeplane.dev/role: {{ index . 2 }}
{{- end }}

{{- define "woo.host" -}}
{{- if .Values.ingress.host -}}
{{- .Values.ingress.host -}}
{{- else if .Values.ingress.baseDomain -}}
{{- printf "%s.%s" .Values.store.name .Values.ingress.baseDomain -}}
{{- else -}}
{{- fail "set ingress.host or ingress.baseDomain" -}}
{{- end -}}
{{- end }}

{{- define "woo.url" -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls) (include "woo.host" .) -}}
{{- end }}

{{/*
woocommerce.adminEmail, else the owner when it is an e-mail address, else admin@<host>. The
pattern is the platform's rule for an owner that is an e-mail address (the Store schema uses the
same; values.schema.json too, for woocommerce.adminEmail: keep them identical): every address it
accepts, WordPress's is_email() accepts, so `wp core install` does too.
*/}}
{{- define "woo.adminEmail" -}}
{{- $pattern := `^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$` -}}
{{- if .Values.woocommerce.adminEmail -}}
{{- .Values.woocommerce.adminEmail -}}
{{- else if regexMatch $pattern .Values.store.owner -}}
{{- .Values.store.owner -}}
{{- else -}}
{{- $fallback := printf "admin@%s" (include "woo.host" .) -}}
{{- if not (regexMatch $pattern $fallback) -}}
{{- fail (printf "%s is not an e-mail address WordPress accepts: set woocommerce.adminEmail" $fallback) -}}
{{- end -}}
{{- $fallback -}}
{{- end -}}
{{- end }}

{{/*
Free text as an env var's value. Kubernetes expands $(VAR) in `value` over the variables declared
before it (a display name "$(ADMIN_PASSWORD)" would become the site title); $$ is its escape for $.
*/}}
{{- define "woo.envText" -}}
{{- . | toString | replace "$" "$$" | quote -}}
{{- end }}

{{/* image reference: (dict "image" .Values.image) */}}
{{- define "woo.image" -}}
{{- if .digest -}}
{{- printf "%s@%s" .repository .digest -}}
{{- else -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}
{{- end }}

{{/* Resources of one component for the store's plan: (list $ "web"). */}}
{{- define "woo.resources" -}}
{{- $ := index . 0 -}}
{{- $size := index $.Values.sizes $.Values.store.plan -}}
{{- toYaml (index $size (index . 1)) -}}
{{- end }}

{{- define "woo.storage" -}}
{{- $ := index . 0 -}}
{{- $component := index . 1 -}}
{{- $p := (index $.Values $component).persistence -}}
{{- $p.size | default (index (index $.Values.sizes $.Values.store.plan).storage $component) -}}
{{- end }}

{{/* Pod-level security context for a user id. */}}
{{- define "woo.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ . }}
  runAsGroup: {{ . }}
  fsGroup: {{ . }}
  fsGroupChangePolicy: OnRootMismatch
  seccompProfile: {type: RuntimeDefault}
{{- end }}

{{/* Container security context for a user id. */}}
{{- define "woo.containerSecurity" -}}
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

{{- define "woo.secretEnv" -}}
- name: {{ index . 1 }}
  valueFrom: {secretKeyRef: {name: {{ (index . 0).Values.existingSecret }}, key: {{ index . 2 }}}}
{{- end }}

{{/*
The WordPress environment shared by the web pods, the setup Job and the cron Job: the official
image writes wp-config.php from it (the code lives in an emptyDir, refreshed from the image at
every start, so wp-config.php must come out the same every time: salts come from the Secret).
*/}}
{{- define "woo.wordpressEnv" -}}
- name: WORDPRESS_DB_HOST
  value: {{ printf "%s-db:3306" .Release.Name | quote }}
- name: WORDPRESS_DB_NAME
  value: {{ .Values.database.name | quote }}
- name: WORDPRESS_DB_USER
  value: {{ .Values.database.user | quote }}
{{ include "woo.secretEnv" (list . "WORDPRESS_DB_PASSWORD" "db-password") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_AUTH_KEY" "wp-auth-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_AUTH_SALT" "wp-auth-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_SECURE_AUTH_KEY" "wp-secure-auth-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_SECURE_AUTH_SALT" "wp-secure-auth-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_LOGGED_IN_KEY" "wp-logged-in-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_LOGGED_IN_SALT" "wp-logged-in-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_NONCE_KEY" "wp-nonce-key") }}
{{ include "woo.secretEnv" (list . "WORDPRESS_NONCE_SALT" "wp-nonce-key") }}
- name: WORDPRESS_TABLE_PREFIX
  value: {{ .Values.wordpress.tablePrefix | quote }}
- name: WORDPRESS_DEBUG
  value: {{ ternary "1" "" .Values.wordpress.debug | quote }}
- name: WORDPRESS_CONFIG_EXTRA
  valueFrom: {configMapKeyRef: {name: {{ .Release.Name }}-wordpress, key: config-extra.php}}
- name: HOME
  value: /tmp
{{- end }}

{{/* Volumes the WordPress image needs with a read-only root filesystem. */}}
{{- define "woo.wordpressVolumes" -}}
- name: code
  emptyDir: {sizeLimit: 1Gi}
- name: tmp
  emptyDir: {sizeLimit: 512Mi}
- name: uploads
  persistentVolumeClaim: {claimName: {{ .Release.Name }}-uploads}
{{- end }}

{{- define "woo.wordpressMounts" -}}
- {name: code, mountPath: /var/www/html}
# wp-content/uploads is a symlink to /var/www/uploads in the image: a mount nested in the code
# emptyDir would leave wp-content owned by root, and the entrypoint could not copy WordPress.
- {name: uploads, mountPath: /var/www/uploads}
- {name: tmp, mountPath: /tmp}
{{- end }}

{{/*
Pods that mount the uploads volume next to the web pod: a ReadWriteOnce volume can only be
attached to one node.
*/}}
{{- define "woo.withWeb" -}}
affinity:
  podAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels: {{- include "woo.selector" (list . "web") | nindent 12 }}
{{- end }}

{{/* Where the pods may run: nodeSelector, tolerations and affinity, as given (values-devnode.yaml
steers them to the local cluster's real node). Empty when none is set. */}}
{{- define "woo.placement" -}}
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
