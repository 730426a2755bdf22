{{- define "portunus.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portunus.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "portunus.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portunus.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portunus.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "portunus.labels" -}}
helm.sh/chart: {{ include "portunus.chart" . }}
{{ include "portunus.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "portunus.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The single pod of the StatefulSet. */}}
{{- define "portunus.podName" -}}
{{- printf "%s-0" (include "portunus.fullname" .) }}
{{- end }}

{{- define "portunus.claimName" -}}
{{- if .Values.persistence.existingClaim }}
{{- .Values.persistence.existingClaim }}
{{- else }}
{{- printf "%s-data" (include "portunus.fullname" .) }}
{{- end }}
{{- end }}

{{- define "portunus.pvName" -}}
{{- printf "%s-%s-data" .Release.Namespace (include "portunus.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portunus.tokenSecretName" -}}
{{- if .Values.operatorToken.existingSecret }}
{{- .Values.operatorToken.existingSecret }}
{{- else }}
{{- printf "%s-operator-token" (include "portunus.fullname" .) }}
{{- end }}
{{- end }}

{{/* The PVC of scheduled backups (07-scheduled-backups.md §6). */}}
{{- define "portunus.backupClaimName" -}}
{{- default (printf "%s-backups" (include "portunus.fullname" .)) .Values.backup.persistence.existingClaim -}}
{{- end -}}
