{{/*
Names. Cluster-scoped objects (the CRD, ClusterRoles, admission policies) and the two
ServiceAccounts they name have fixed names: one Storeplane per cluster (docs/design.md).
*/}}
{{- define "storeplane.operatorName" -}}storeplane-operator{{- end }}
{{- define "storeplane.apiName" -}}storeplane-api{{- end }}
{{- define "storeplane.operatorUser" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "storeplane.operatorName" .) -}}
{{- end }}

{{/* Kubernetes recommended labels. */}}
{{- define "storeplane.labels" -}}
app.kubernetes.io/name: storeplane
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: storeplane
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Selector labels of one component: (list $ "operator"). */}}
{{- define "storeplane.selector" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: storeplane
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* All labels of one component's objects: (list $ "operator"). */}}
{{- define "storeplane.componentLabels" -}}
{{ include "storeplane.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* The platform image reference. */}}
{{- define "storeplane.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end }}

{{/* Hardened pod and container security (DESIGN.md §6). */}}
{{- define "storeplane.podSecurity" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile: {type: RuntimeDefault}
{{- end }}
{{- define "storeplane.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities: {drop: [ALL]}
{{- end }}

{{/* Store names no store may take (src/store/naming.ts reservedStoreNames; a test keeps them equal). */}}
{{- define "storeplane.reservedStoreNames" -}}
api app www admin dashboard storeplane platform system kube default localhost mail static status
{{- end }}

{{/* The dashboard's public URL. */}}
{{- define "storeplane.dashboardUrl" -}}
{{- if .Values.ingress.enabled -}}
{{- printf "%s://%s/" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end }}

{{/* API replicas: as set, else 2 on PostgreSQL and 1 on SQLite (one file, one writer). */}}
{{- define "storeplane.apiReplicas" -}}
{{- if kindIs "invalid" .Values.api.replicas -}}
{{- ternary 1 2 (eq .Values.database.type "sqlite") -}}
{{- else -}}
{{- .Values.api.replicas -}}
{{- end -}}
{{- end }}

{{/* NetworkPolicy peers: the namespaces named in a list. */}}
{{- define "storeplane.namespacesPeer" -}}
- namespaceSelector:
    matchExpressions:
      - {key: kubernetes.io/metadata.name, operator: In, values: {{ toJson . }}}
{{- end }}
{{/* NetworkPolicy egress to the Kubernetes API server: networkPolicy values. */}}
{{- define "storeplane.apiServerEgress" -}}
- {{- if .apiServerCidrs }}
  to:
    {{- range .apiServerCidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  {{- end }}
  ports:
    {{- range .apiServerPorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end }}
