package org.caregate.smart.authserver.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.caregate.smart.scope.AccessDurationScope;
import org.caregate.smart.scope.GranularScopeOptions;
import org.caregate.smart.scope.IdentityScope;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.InvalidScopeException;
import org.caregate.smart.scope.LaunchScope;
import org.caregate.smart.scope.ResourceScope;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.scope.SmartScope;
import org.caregate.smart.scope.SmartScopeParser;
import org.springframework.context.MessageSource;

/** Plain-language descriptions of scopes for the approval page, in the order a person would read them. */
public final class ScopeDescriptions {

    /**
     * One line of the approval page.
     *
     * @param options the category sub-scopes offered instead of the whole scope ({@link GranularScopeOptions})
     */
    public record ScopeLine(String scope, String description, boolean deselectable, List<ScopeLine> options) {

        public ScopeLine {
            options = List.copyOf(options);
        }

        public ScopeLine(String scope, String description, boolean deselectable) {
            this(scope, description, deselectable, List.of());
        }
    }

    private static final Map<String, String> FIXED = Map.of(
            IdentityScope.OPENID, "Confirm that it is you who signed in",
            IdentityScope.FHIR_USER,
                    "Know who you are in the health record (your patient, related person or" + " practitioner record)",
            IdentityScope.PROFILE, "See your name",
            LaunchScope.LAUNCH, "Open with the patient (and visit) you were working on in the portal",
            LaunchScope.LAUNCH_PATIENT, "Know which patient you chose",
            LaunchScope.LAUNCH_ENCOUNTER, "Know which visit is in context",
            AccessDurationScope.OFFLINE_ACCESS, "Keep access when you are not using the app, until you revoke it",
            AccessDurationScope.ONLINE_ACCESS, "Keep access while you are signed in");

    private ScopeDescriptions() {}

    public static List<ScopeLine> describe(Set<String> scopes) {
        List<ScopeLine> lines = new ArrayList<>();
        for (String scope : scopes) {
            lines.add(new ScopeLine(scope, describe(scope), !IdentityScope.OPENID.equals(scope)));
        }
        lines.sort(
                Comparator.comparingInt((ScopeLine line) -> rank(line.scope())).thenComparing(ScopeLine::scope));
        return lines;
    }

    public static String describe(String scope) {
        String fixed = FIXED.get(scope);
        if (fixed != null) {
            return fixed;
        }
        SmartScope parsed;
        try {
            parsed = SmartScopeParser.parseScope(scope);
        } catch (InvalidScopeException e) {
            return scope;
        }
        if (parsed instanceof ResourceScope resource) {
            return describe(resource);
        }
        return scope;
    }

    private static String describe(ResourceScope scope) {
        Set<Interaction> interactions = scope.interactions();
        List<String> verbs = new ArrayList<>();
        if (interactions.contains(Interaction.READ) && interactions.contains(Interaction.SEARCH)) {
            verbs.add("read and search");
        } else if (interactions.contains(Interaction.READ)) {
            verbs.add("read");
        } else if (interactions.contains(Interaction.SEARCH)) {
            verbs.add("search");
        }
        if (interactions.contains(Interaction.CREATE)) {
            verbs.add("create");
        }
        if (interactions.contains(Interaction.UPDATE)) {
            verbs.add("change");
        }
        if (interactions.contains(Interaction.DELETE)) {
            verbs.add("delete");
        }
        String what = scope.isWildcard() ? "all health records" : scope.resourceType() + " records";
        if (scope.isGranular()) {
            what += " of some kinds only ("
                    + scope.value().substring(scope.value().indexOf('?') + 1) + ")";
        }
        String whose = switch (scope.context()) {
            case PATIENT -> "of the selected patient";
            case USER -> "that you are allowed to see";
            case SYSTEM -> "of the organisation's patients";
        };
        String sentence = String.join(", ", verbs) + " " + what + " " + whose;
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    /**
     * The same lines in the reader's language: the texts are the messages {@code scope.*} of {@code messages}
     * (English when a text has no translation).
     */
    public static List<ScopeLine> describe(Set<String> scopes, MessageSource messages, Locale locale) {
        List<ScopeLine> lines = new ArrayList<>();
        for (ScopeLine line : describe(scopes)) {
            List<ScopeLine> options = GranularScopeOptions.of(line.scope()).stream()
                    .map(option -> new ScopeLine(option, describe(option, messages, locale), true))
                    .toList();
            lines.add(new ScopeLine(
                    line.scope(), describe(line.scope(), messages, locale), line.deselectable(), options));
        }
        return lines;
    }

    static String describe(String scope, MessageSource messages, Locale locale) {
        if (FIXED.containsKey(scope)) {
            return messages.getMessage("scope." + scope, null, FIXED.get(scope), locale);
        }
        SmartScope parsed;
        try {
            parsed = SmartScopeParser.parseScope(scope);
        } catch (InvalidScopeException e) {
            return scope;
        }
        if (!(parsed instanceof ResourceScope resource)) {
            return scope;
        }
        Set<Interaction> interactions = resource.interactions();
        List<String> verbs = new ArrayList<>();
        if (interactions.contains(Interaction.READ) && interactions.contains(Interaction.SEARCH)) {
            verbs.add(text(messages, locale, "scope.verb.read-search", "read and search"));
        } else if (interactions.contains(Interaction.READ)) {
            verbs.add(text(messages, locale, "scope.verb.read", "read"));
        } else if (interactions.contains(Interaction.SEARCH)) {
            verbs.add(text(messages, locale, "scope.verb.search", "search"));
        }
        if (interactions.contains(Interaction.CREATE)) {
            verbs.add(text(messages, locale, "scope.verb.create", "create"));
        }
        if (interactions.contains(Interaction.UPDATE)) {
            verbs.add(text(messages, locale, "scope.verb.update", "change"));
        }
        if (interactions.contains(Interaction.DELETE)) {
            verbs.add(text(messages, locale, "scope.verb.delete", "delete"));
        }
        String what = resource.isWildcard()
                ? text(messages, locale, "scope.what.all", "all health records")
                : messages.getMessage(
                        "scope.what.type",
                        new Object[] {resource.resourceType()},
                        resource.resourceType() + " records",
                        locale);
        if (resource.isGranular()) {
            what = messages.getMessage(
                    "scope.what.granular",
                    new Object[] {
                        what, kinds(resource.value().substring(resource.value().indexOf('?') + 1))
                    },
                    what,
                    locale);
        }
        String whose = switch (resource.context()) {
            case PATIENT -> text(messages, locale, "scope.whose.patient", "of the selected patient");
            case USER -> text(messages, locale, "scope.whose.user", "that you are allowed to see");
            case SYSTEM -> text(messages, locale, "scope.whose.system", "of the organisation's patients");
        };
        String sentence = String.join(", ", verbs) + " " + what + " " + whose;
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    /** {@code category=http://...|laboratory,http://...|vital-signs} as a person reads it: laboratory, vital-signs. */
    private static String kinds(String query) {
        List<String> kinds = new ArrayList<>();
        for (String parameter : query.split("&")) {
            String values = parameter.substring(parameter.indexOf('=') + 1);
            for (String value : values.split(",")) {
                kinds.add(value.substring(value.lastIndexOf('|') + 1));
            }
        }
        return String.join(", ", kinds);
    }

    private static String text(MessageSource messages, Locale locale, String code, String english) {
        return messages.getMessage(code, null, english, locale);
    }

    private static int rank(String scope) {
        if (IdentityScope.OPENID.equals(scope)
                || IdentityScope.FHIR_USER.equals(scope)
                || IdentityScope.PROFILE.equals(scope)) {
            return 0;
        }
        if (scope.startsWith("launch")) {
            return 1;
        }
        if (scope.startsWith(ScopeContext.PATIENT.prefix() + "/")) {
            return 2;
        }
        if (scope.startsWith(ScopeContext.USER.prefix() + "/")) {
            return 3;
        }
        if (scope.endsWith("_access")) {
            return 5;
        }
        return 4;
    }
}
