package org.celltrial.adapter.server.subscription;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which rest-hook endpoints the server will call: http or https, a host, no user info, and (unless
 * {@code celltrial.subscriptions.allow-local-endpoints}) no address of this machine or of the link-local range, so a
 * Subscription cannot make the server call its own admin API or a cloud metadata service (169.254.169.254). Checked
 * when the Subscription is written and again before each delivery (the name may resolve elsewhere by then).
 */
public final class EndpointCheck {

    private final boolean allowLocal;

    public EndpointCheck(boolean allowLocal) {
        this.allowLocal = allowLocal;
    }

    /** Null when the endpoint may be called, else why not (no value of the URL in it beyond its scheme). */
    public String refusal(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return "channel.endpoint is required";
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (Exception e) {
            return "channel.endpoint is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "channel.endpoint must be an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "channel.endpoint has no host";
        }
        if (uri.getRawUserInfo() != null) {
            return "channel.endpoint must not carry user info; use channel.header for credentials";
        }
        if (uri.getRawFragment() != null) {
            return "channel.endpoint must not have a fragment";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return "channel.endpoint's host cannot be resolved";
        }
        if (!allowLocal) {
            for (InetAddress a : addresses) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                    return "channel.endpoint is a loopback, link-local or unspecified address, which this server does"
                            + " not call (celltrial.subscriptions.allow-local-endpoints)";
                }
            }
        }
        return null;
    }
}
