@echo off
rem rcdrive launcher: runs dev.rcdrive.cli.Main with every jar in ..\lib on the class path.
rem JAVA_HOME selects the JDK (17 or newer); JAVA_OPTS adds JVM options.
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA_CMD=%JAVA_HOME%\bin\java.exe") else (set "JAVA_CMD=java.exe")
"%JAVA_CMD%" %JAVA_OPTS% -cp "%APP_HOME%\lib\*" dev.rcdrive.cli.Main %*
exit /b %ERRORLEVEL%
