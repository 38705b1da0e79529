{{- define "caregate.name" -}}{{ .Release.Name }}-caregate{{- end -}}
{{- define "caregate.secret" -}}{{ .Values.existingSecret | default (include "caregate.name" .) }}{{- end -}}
