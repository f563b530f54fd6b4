from srmcli.command import main

main()
