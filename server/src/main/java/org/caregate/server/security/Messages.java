package org.caregate.server.security;

import java.util.Locale;

/** What a refused caller reads, in English and Spanish. Each message names the rule or scope that decided. */
public final class Messages {

    private Messages() {}

    private static boolean spanish(Locale locale) {
        return "es".equals(locale.getLanguage());
    }

    public static String deniedByRule(Locale locale, String rule, String reason) {
        return spanish(locale)
                ? "Acceso denegado por la regla '" + rule + "': " + reason
                : "Access denied by rule '" + rule + "': " + reason;
    }

    static String patientNotPermitted(Locale locale) {
        return spanish(locale)
                ? "Acceso denegado por la regla 'deny-all': esta solicitud no tiene acceso a los datos de este paciente."
                : "Access denied by rule 'deny-all': this request has no access to this patient's records.";
    }

    static String deniedByDefault(Locale locale, String rule) {
        String name = rule == null ? "deny by default" : rule;
        return spanish(locale)
                ? "Acceso denegado por la regla '" + name + "': ningún permiso de este token cubre este recurso."
                : "Access denied by rule '" + name + "': no permission of this token covers this resource.";
    }

    static String missingScope(Locale locale, String action, String resourceType, String example) {
        return spanish(locale)
                ? "El token de acceso no permite " + actionEs(action) + " " + resourceType
                        + ": hace falta un scope como '" + example + "'."
                : "The access token does not permit " + action + " " + resourceType + ": a scope such as '" + example
                        + "' is needed.";
    }

    private static String actionEs(String action) {
        return switch (action) {
            case "reading" -> "leer";
            case "searching" -> "buscar";
            case "creating" -> "crear";
            case "updating" -> "actualizar";
            case "deleting" -> "eliminar";
            default -> action;
        };
    }
}
