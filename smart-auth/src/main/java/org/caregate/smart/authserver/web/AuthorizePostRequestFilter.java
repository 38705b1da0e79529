package org.caregate.smart.authserver.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART's {@code authorize-post} capability: an authorization request may be sent as a form POST. SAS 1.4 only
 * accepts POSTed authorization requests that carry the {@code openid} scope (it reads other POSTs to the
 * authorization endpoint as the approval form), so a POST with {@code response_type} is handed to SAS as the
 * equivalent GET, parameters unchanged. This also makes the request survive the detour through the login page
 * (the saved request is replayed as a GET). The approval form, which has no {@code response_type}, stays a POST.
 */
public final class AuthorizePostRequestFilter extends OncePerRequestFilter {

    private final String authorizationEndpoint;

    public AuthorizePostRequestFilter(String authorizationEndpoint) {
        this.authorizationEndpoint = authorizationEndpoint;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !authorizationEndpoint.equals(request.getRequestURI()
                        .substring(request.getContextPath().length()))
                || request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) {
                query.add(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        String queryString = query.toString();
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public String getMethod() {
                        return "GET";
                    }

                    @Override
                    public String getQueryString() {
                        return queryString;
                    }
                },
                response);
    }
}
