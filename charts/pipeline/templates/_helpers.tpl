{{- define "pipeline.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "pipeline.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The image of one service: (dict "root" $ "component" "render" "suffix" "-gpu") */}}
{{- define "pipeline.image" -}}
{{- $img := .root.Values.image -}}
{{- $name := printf "%s-%s%s:%s" $img.repository .component (.suffix | default "") ($img.tag | default .root.Chart.AppVersion) -}}
{{- if $img.registry }}{{ printf "%s/%s" $img.registry $name }}{{ else }}{{ $name }}{{ end -}}
{{- end -}}

{{- define "pipeline.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "pipeline.fullname" .)) -}}
{{- end -}}

{{/* The settings every service reads: the bus, the job store, the object store (ASP.NET Section__Key names). */}}
{{- define "pipeline.env" -}}
- name: ASPNETCORE_URLS
  value: http://+:8080
- name: Bus__Transport
  value: RabbitMq
- name: Bus__RabbitMqHost
  value: {{ .Values.rabbitmq.host | quote }}
- name: Bus__RabbitMqPort
  value: {{ .Values.rabbitmq.port | quote }}
- name: Bus__RabbitMqVirtualHost
  value: {{ .Values.rabbitmq.virtualHost | quote }}
- name: Bus__RabbitMqUser
  value: {{ .Values.rabbitmq.username | quote }}
- name: Bus__RabbitMqPassword
  valueFrom: { secretKeyRef: { name: {{ include "pipeline.secretName" . }}, key: rabbitmq-password } }
- name: ObjectStore__Kind
  value: s3
- name: ObjectStore__ServiceUrl
  value: {{ .Values.objectStore.serviceUrl | quote }}
- name: ObjectStore__Bucket
  value: {{ .Values.objectStore.bucket | quote }}
- name: ObjectStore__AccessKey
  valueFrom: { secretKeyRef: { name: {{ include "pipeline.secretName" . }}, key: s3-access-key } }
- name: ObjectStore__SecretKey
  valueFrom: { secretKeyRef: { name: {{ include "pipeline.secretName" . }}, key: s3-secret-key } }
- name: ObjectStore__ScratchRoot
  value: /scratch/store
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* The Api alone keeps job state in PostgreSQL (and applies its migrations on start). */}}
{{- define "pipeline.jobStoreEnv" -}}
- name: PG_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ include "pipeline.secretName" . }}, key: postgres-password } }
- name: JobStore__Provider
  value: Postgres
- name: JobStore__ConnectionString
  value: {{ printf "Host=%s;Port=%v;Database=%s;Username=%s;Password=$(PG_PASSWORD)" .Values.postgres.host .Values.postgres.port .Values.postgres.database .Values.postgres.username | quote }}
{{- end -}}

{{- define "pipeline.probes" -}}
livenessProbe:
  httpGet: { path: /health/live, port: http }
  initialDelaySeconds: {{ .Values.probes.initialDelaySeconds }}
  periodSeconds: {{ .Values.probes.periodSeconds }}
readinessProbe:
  httpGet: { path: /health/ready, port: http }
  initialDelaySeconds: {{ .Values.probes.initialDelaySeconds }}
  periodSeconds: {{ .Values.probes.periodSeconds }}
{{- end -}}
