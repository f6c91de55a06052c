from boardtui.cli import main

main()
