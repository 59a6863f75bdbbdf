package dev.louie.testing;

/**
 * A request whose answer was wrong.
 *
 * @param operation the operation of the document ({@code POST /api/v1/tasks/{task}})
 * @param kind      what was wrong with the request ({@code wrong type at $.qty})
 * @param request   the request: method, path, content type and the start of the body
 * @param status    the answer's status, or 0 when none came
 * @param reason    what was wrong with the answer ({@code 500: a server error})
 * @param answer    the start of the answer's body, or the exception
 */
public record FuzzFailure(String operation, String kind, String request, int status, String reason, String answer) {

    @Override
    public String toString() {
        return operation + ", " + kind + ": " + reason + System.lineSeparator()
                + "    request: " + request + System.lineSeparator()
                + "    answer:  " + (status > 0 ? status + " " : "") + answer;
    }
}
