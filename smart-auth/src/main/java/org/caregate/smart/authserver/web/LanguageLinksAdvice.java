package org.caregate.smart.authserver.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The language switch of every page: for each language CareGate speaks, a link to the same page (same query) in
 * that language, and which one is shown now. Also {@code lang}, for {@code <html lang>}.
 */
@ControllerAdvice
public class LanguageLinksAdvice {

    /** One entry of the switch: {@code label} in its own language (Español), {@code current} when shown now. */
    public record LanguageLink(String tag, String label, String href, boolean current) {}

    @ModelAttribute("languageLinks")
    public List<LanguageLink> languageLinks(HttpServletRequest request) {
        Locale now = LocaleContextHolder.getLocale();
        List<LanguageLink> links = new ArrayList<>();
        for (Locale language : Languages.SUPPORTED) {
            String href = UriComponentsBuilder.fromPath(request.getRequestURI())
                    .query("GET".equals(request.getMethod()) ? request.getQueryString() : null)
                    .replaceQueryParam(Languages.PARAMETER, language.getLanguage())
                    .build()
                    .toUriString();
            String label = language.getDisplayLanguage(language);
            links.add(new LanguageLink(
                    language.getLanguage(),
                    label.substring(0, 1).toUpperCase(language) + label.substring(1),
                    href,
                    now.getLanguage().equals(language.getLanguage())));
        }
        return links;
    }

    @ModelAttribute("lang")
    public String lang() {
        Locale now = LocaleContextHolder.getLocale();
        return Languages.supported(now.toLanguageTag()) == null ? "en" : now.getLanguage();
    }
}
