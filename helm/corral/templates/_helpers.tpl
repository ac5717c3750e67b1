{{/* The release's full name, used for every object the chart makes. */}}
{{- define "corral.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "corral.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "corral.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: corral
{{- end -}}

{{- define "corral.selectorLabels" -}}
app.kubernetes.io/name: corral-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "corral.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "corral.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "corral.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "corral.serverImage" -}}
{{- printf "%s:%s" .Values.serverImage.repository (default .Chart.AppVersion .Values.serverImage.tag) -}}
{{- end -}}

{{/*
The rules the operator needs wherever WebApps live: exactly dev.corral.operator.rbac.OperatorPermissions
(Scope.WATCHED_NAMESPACES). ChartRbacTest fails when the two differ.
*/}}
{{- define "corral.watchedNamespaceRules" -}}
# The primary resource, watched; status carries conditions, effective quotas, OOM kills.
- apiGroups: ["corral.dev"]
  resources: ["webapps"]
  verbs: ["list", "watch"]
- apiGroups: ["corral.dev"]
  resources: ["webapps/status"]
  verbs: ["patch"]
# Each WebApp's server pods and Service, applied server-side; they go with the WebApp by garbage collection.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["list", "watch", "create", "patch"]
# Inline bundles (deleted when the bundle moves elsewhere); configMapRef bundles, labelled and watched by that label so an edit rolls the pods.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# A PDB while a WebApp has more than one pod, deleted at one.
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Each WebApp's egress NetworkPolicy: only its declared destinations and DNS; nothing without spec.egress.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "patch"]
# Server pods, watched for OOM kills; resized in place by the vertical autoscaler (Kubernetes 1.33+).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["pods/resize"]
  verbs: ["patch"]
# An HPA while a WebApp asks for horizontal scaling.
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Warning Events on WebApps.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
