package dev.portunus.clienttool;

/** A client command cannot go on; the message says why and what to do, for a person. */
public class ClientFailure extends RuntimeException {

    public ClientFailure(String message) {
        super(message, null, false, false);
    }
}
