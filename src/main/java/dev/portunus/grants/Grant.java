package dev.portunus.grants;

/**
 * A grant as the coverage rule needs it: what a user may forward. The one definition of "a grant
 * covers a rule" (client or '*', the whole listen range, the protocol), used when a rule is created
 * and when a grant's deletion decides which rules lose their last cover.
 */
public record Grant(String id, String userId, String client, int portStart, int portEnd, String protocols) {

    public boolean coversClient(String clientId) {
        return client.equals("*") || client.equals(clientId);
    }

    public boolean coversPorts(int start, int end) {
        return portStart <= start && end <= portEnd;
    }

    public boolean coversProtocol(String protocol) {
        return protocols.equals("both") || protocols.equals(protocol);
    }

    public boolean covers(String clientId, int start, int end, String protocol) {
        return coversClient(clientId) && coversPorts(start, end) && coversProtocol(protocol);
    }
}
