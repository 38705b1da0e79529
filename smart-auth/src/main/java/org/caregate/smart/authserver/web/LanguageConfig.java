package org.caregate.smart.authserver.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * English and Spanish pages ({@link Languages}): the {@code localeResolver} of every Spring MVC page of the
 * application (the authorization server's and the portal's), and an interceptor that keeps a language chosen with
 * {@code ?lang=} in the cookie. Pages get {@code languageLinks} from {@link LanguageLinksAdvice}.
 */
@Configuration(proxyBeanMethods = false)
public class LanguageConfig implements WebMvcConfigurer {

    /** The bundle of this module's pages and e-mails. */
    public static final String MESSAGES = "messages/smart-auth";

    /**
     * The application's {@code messageSource}: this module's bundle ({@value #MESSAGES}) and those the application
     * lists in {@code spring.messages.basename} (comma-separated, e.g. {@code messages/portal}), UTF-8, English
     * when a text has no translation (never the machine's own language).
     */
    @Bean(name = "messageSource")
    public MessageSource messageSource(Environment environment) {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.addBasenames(MESSAGES);
        for (String basename :
                environment.getProperty("spring.messages.basename", "").split(",")) {
            if (!basename.isBlank() && !basename.strip().equals(MESSAGES)) {
                messages.addBasenames(basename.strip());
            }
        }
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }

    /** Spring MVC looks the resolver up by this bean name. */
    @Bean(name = "localeResolver")
    public LocaleResolver localeResolver() {
        return new Languages();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                Locale chosen = Languages.supported(request.getParameter(Languages.PARAMETER));
                LocaleResolver resolver = RequestContextUtils.getLocaleResolver(request);
                if (chosen != null && resolver != null) {
                    resolver.setLocale(request, response, chosen);
                }
                return true;
            }
        });
    }
}
