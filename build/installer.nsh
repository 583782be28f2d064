; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; Registers the pathwise: URL scheme for the installing user, so the sign-in link in the email works
; straight after installation, before Pathwise has run once. HKCU because the install is per-user
; (nsis.perMachine: false) and the link belongs to the learner who installed it. The same key is what
; Electron's app.setAsDefaultProtocolClient writes, should the app register itself at run time too.

!macro customInstall
  WriteRegStr HKCU "Software\Classes\pathwise" "" "URL:Pathwise sign-in link"
  WriteRegStr HKCU "Software\Classes\pathwise" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\pathwise\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr HKCU "Software\Classes\pathwise\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

; An update runs the old version's uninstaller first: keep the scheme then, the new install rewrites it.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegKey HKCU "Software\Classes\pathwise"
  ${endIf}
!macroend

; Per-user only. With oneClick: false, electron-builder's assisted installer shows a "for all users /
; only for me" page whenever perMachine is not true, and nsis.allowElevation: false only greys the
; first option out for non-administrators: run as administrator it still installs for all users, and
; every later update would then ask for elevation. The install-mode page calls this macro first
; (templates/nsis/multiUserUi.nsh); forcing the current user skips the page altogether.
!macro customInstallMode
  StrCpy $isForceCurrentInstall "1"
  StrCpy $isForceMachineInstall "0"
!macroend
