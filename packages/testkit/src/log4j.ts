/** A log4j2 config for a Kafka JVM: INFO into `file`, the named loggers at their own levels. */
export function log4jConfig(file: string, levels: Record<string, string> = {}): string {
  const loggers = Object.entries(levels)
    .map(([name, level]) => `\n    <Logger name="${name}" level="${level}"/>`)
    .join('');
  return `<Configuration status="WARN">
  <Appenders>
    <File name="file" fileName="${file}"><PatternLayout pattern="[%d] %p %m (%c)%n"/></File>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="file"/></Root>${loggers}
  </Loggers>
</Configuration>
`;
}
