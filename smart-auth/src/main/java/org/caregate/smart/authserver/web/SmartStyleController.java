package org.caregate.smart.authserver.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The style document named by {@code smart_style_url} in token responses (SMART App Launch 2.2, "Styling"), so
 * that embedded apps can match the portal's look.
 */
@RestController
public class SmartStyleController {

    private static final Map<String, Object> STYLE = styleDocument();

    @GetMapping(value = SmartAuthPaths.SMART_STYLE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> style() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePublic())
                .body(STYLE);
    }

    private static Map<String, Object> styleDocument() {
        Map<String, Object> style = new LinkedHashMap<>();
        style.put("color_background", "#f7f8fa");
        style.put("color_error", "#b00020");
        style.put("color_highlight", "#0b6e4f");
        style.put("color_modal_backdrop", "");
        style.put("color_success", "#1e7e34");
        style.put("color_text", "#1d2433");
        style.put("dim_border_radius", "6px");
        style.put("dim_font_size", "16px");
        style.put("dim_spacing_size", "16px");
        style.put("font_family_body", "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif");
        style.put("font_family_heading", "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif");
        return java.util.Collections.unmodifiableMap(style);
    }
}
