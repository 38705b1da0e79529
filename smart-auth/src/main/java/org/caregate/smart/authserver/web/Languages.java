package org.caregate.smart.authserver.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The languages of CareGate's pages and e-mails: English and Spanish. The language is the one chosen with the switch
 * on every page ({@code ?lang=es}, kept in the cookie {@value #COOKIE}), else the first of the browser's
 * {@code Accept-Language} that CareGate speaks, else English.
 */
public final class Languages implements LocaleResolver {

    public static final String COOKIE = "caregate-lang";
    public static final String PARAMETER = "lang";
    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale SPANISH = Locale.forLanguageTag("es");
    public static final List<Locale> SUPPORTED = List.of(ENGLISH, SPANISH);

    /** The supported language of {@code tag} ({@code es-MX} → Spanish), or null. */
    public static Locale supported(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String language = Locale.forLanguageTag(tag.strip()).getLanguage();
        return SUPPORTED.stream()
                .filter(locale -> locale.getLanguage().equals(language))
                .findFirst()
                .orElse(null);
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        Locale chosen = supported(request.getParameter(PARAMETER));
        if (chosen != null) {
            return chosen;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                Locale fromCookie = COOKIE.equals(cookie.getName()) ? supported(cookie.getValue()) : null;
                if (fromCookie != null) {
                    return fromCookie;
                }
            }
        }
        var browser = request.getLocales();
        while (browser.hasMoreElements()) {
            Locale wanted = supported(browser.nextElement().toLanguageTag());
            if (wanted != null) {
                return wanted;
            }
        }
        return ENGLISH;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        Locale supported = locale == null ? null : supported(locale.toLanguageTag());
        Cookie cookie = new Cookie(COOKIE, supported == null ? "" : supported.getLanguage());
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setMaxAge(supported == null ? 0 : 365 * 24 * 3600);
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
    }
}
