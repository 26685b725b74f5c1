[description]
Answers what Jetty answers before the webapp (a head past the connector's limits, a request it cannot parse) in
OpenAI's JSON error shape, instead of Jetty's HTML page: the server-wide error handler from tollgate-container.jar.

[depend]
server

[lib]
lib/tollgate-container.jar

[xml]
etc/tollgate-errors.xml
