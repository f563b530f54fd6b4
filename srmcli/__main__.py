from srmcli.cli import main

main()
